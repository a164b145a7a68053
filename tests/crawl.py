"""A small crawler for the generic security tests: follow links, collect forms."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

# Forms the crawler never submits: they end the session or the account under test.
SKIP_ACTIONS = ("/auth/logout", "/privacy/delete", "/auth/password")


@dataclass
class Form:
    page: str
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)  # name → input type
    values: dict[str, str] = field(default_factory=dict)  # hidden and preset values
    options: dict[str, list[str]] = field(default_factory=dict)  # select name → values


class _Parser(HTMLParser):
    def __init__(self, page: str):
        super().__init__()
        self.page, self.links, self.forms = page, [], []
        self._form: Form | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.page, a["href"]))
        for attr in ("hx-get",):
            if a.get(attr):
                self.links.append(urljoin(self.page, a[attr]))
        if tag == "form":
            self._form = Form(self.page, urljoin(self.page, a.get("action") or self.page),
                              (a.get("method") or "get").lower())
        elif tag in ("button",) and a.get("hx-post") and self._form is None:
            self.forms.append(Form(self.page, urljoin(self.page, a["hx-post"]), "post"))
        elif self._form is not None and tag in ("input", "textarea", "select") and a.get("name"):
            kind = a.get("type", "text") if tag == "input" else tag
            self._form.fields[a["name"]] = kind
            if kind in ("hidden", "checkbox", "radio") or a.get("value"):
                self._form.values.setdefault(a["name"], a.get("value") or "y")
            if tag == "select":
                self._select = a["name"]
                self._form.options[a["name"]] = []
        elif tag == "option" and self._form is not None and self._select:
            self._form.options[self._select].append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        if tag == "select":
            self._select = None


def crawl(client, start: str = "/home", limit: int = 300) -> tuple[dict[str, str], list[Form]]:
    """Visit same-site GET pages reachable from `start`; return {url: html} and the forms."""
    seen: dict[str, str] = {}
    forms: list[Form] = []
    queue = [urljoin("http://netapp.test/", start)]
    while queue and len(seen) < limit:
        url = queue.pop(0)
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        foreign = parts.scheme not in ("http", "https") or parts.netloc != "netapp.test"
        if foreign or path in seen or path.startswith("/static"):
            continue
        response = client.get(path)
        response.close()
        if response.status_code != 200 or "text/html" not in response.content_type:
            seen[path] = ""
            continue
        seen[path] = response.text
        parser = _Parser(f"http://netapp.test{path}")
        parser.feed(response.text)
        forms += [f for f in parser.forms if f.method == "post"
                  and not any(urlsplit(f.action).path.startswith(s) for s in SKIP_ACTIONS)]
        queue += [link for link in parser.links if link not in seen]
    return seen, forms
