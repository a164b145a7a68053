"""The page after logging out speaks the language the user had, not the browser's."""

import pytest

from tests import factories as f

DANISH_BROWSER = {"Accept-Language": "da-DK,da;q=0.9"}


@pytest.mark.parametrize(("language", "flash", "button"), [
    ("nb", "Du er logget ut.", "Logg inn"),
    ("en", "You are logged out.", "Log in"),
])
def test_logout_page_and_flash_in_the_users_language(client, login_as, language, flash, button):
    login_as(f.user(language=language))
    page = client.post("/auth/logout", headers=DANISH_BROWSER, follow_redirects=True)
    assert flash in page.text
    assert f'lang="{language}"' in page.text
    assert button in page.text
    assert "Du er logget ud." not in page.text
    # the login page stays in that language on the next visit too
    assert button in client.get("/auth/login", headers=DANISH_BROWSER).text


def test_logout_everywhere_speaks_the_users_language(client, login_as):
    login_as(f.user(language="en"))
    page = client.post("/auth/logout/everywhere", headers=DANISH_BROWSER,
                       follow_redirects=True)
    assert "You are logged out on every device." in page.text


def test_next_person_does_not_inherit_the_language_into_their_profile(app, client, login_as):
    login_as(f.user(language="en"))
    client.post("/auth/logout", headers=DANISH_BROWSER)
    nina = f.user(email="nina@example.com", language="nb")
    login_as(nina)
    home = client.get("/home", headers=DANISH_BROWSER)
    assert 'lang="nb"' in home.text
    from netapp.extensions import db
    db.session.refresh(nina)
    assert nina.language == "nb"
