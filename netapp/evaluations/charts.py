"""Geometry for the plain SVG charts (no library, no external requests): the templates
draw what these functions compute, with SVG presentation attributes the CSP allows."""

from dataclasses import dataclass, field

WIDTH, HEIGHT = 480, 220
LEFT, RIGHT, TOP, BOTTOM = 36, 12, 12, 34
FONT = 15  # in viewBox units: about 13 px when a chart fills a tablet card


# Colours as SVG presentation attributes (fill=, stroke=), which the strict CSP allows.
COLOURS = {"s-present": "#1f5f5b", "s-afbud": "#e39b2d", "s-energy": "#2f7d4f",
           "s-rating": "#e39b2d", "s-benefit": "#1f5f5b", "s-goal": "#e39b2d",
           "s-track": "#7a4fa3", "s-scale": "#1f5f5b"}


@dataclass
class Series:
    name: str
    css: str  # a class from app.css: colours live in the stylesheet
    points: str = ""  # "x,y x,y" for <polyline>
    dots: list[tuple[float, float, float]] = field(default_factory=list)  # x, y, value

    @property
    def colour(self) -> str:
        return COLOURS.get(self.css, "#1d2627")


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: float
    css: str

    @property
    def colour(self) -> str:
        return COLOURS.get(self.css, "#1d2627")


@dataclass
class Chart:
    width: int
    height: int
    grid: list[tuple[float, str]]  # y, label
    labels: list[tuple[float, object]]  # x, label (a date or text)
    series: list[Series] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    baseline: float = HEIGHT - BOTTOM
    font: int = FONT
    # The same figures as text, for screen readers: one row per x label, a value per series
    # (None where a meeting has none).
    rows: list[tuple[object, list[float | None]]] = field(default_factory=list)

    @property
    def label_step(self) -> int:
        """Print every nth x label so 50 meetings stay readable."""
        return max(1, -(-len(self.labels) // 10))


def _y(value: float, top_value: float, height: int = HEIGHT) -> float:
    span = height - TOP - BOTTOM
    return round(height - BOTTOM - span * (value / top_value if top_value else 0), 1)


def _slots(count: int, width: int = WIDTH) -> list[float]:
    """The x centre of each of `count` equal slots across the plot."""
    if count == 0:
        return []
    step = (width - LEFT - RIGHT) / count
    return [round(LEFT + step * (i + 0.5), 1) for i in range(count)]


def _grid(top_value: float, steps: list[float]) -> list[tuple[float, str]]:
    return [(_y(v, top_value), f"{v:g}") for v in steps]


def _rows(labels: list, series: list) -> list[tuple[object, list[float | None]]]:
    return [(label, [values[i] for _n, _c, values in series]) for i, label in enumerate(labels)]


def line_chart(labels: list, series: list[tuple[str, str, list[float | None]]],
               low: float = 1, high: float = 5) -> Chart:
    """Lines over meetings on a fixed scale (1-5): a gap where a meeting has no value."""
    xs = _slots(len(labels))
    steps = [v - low for v in range(int(low), int(high) + 1)]
    chart = Chart(WIDTH, HEIGHT, _grid(high - low, steps), list(zip(xs, labels, strict=True)))
    chart.grid = [(y, str(int(low) + i)) for i, (y, _) in enumerate(chart.grid)]
    chart.rows = _rows(labels, series)
    for name, css, values in series:
        line = Series(name, css)
        for x, value in zip(xs, values, strict=True):
            if value is not None:
                line.dots.append((x, _y(value - low, high - low), round(value, 1)))
        line.points = " ".join(f"{x},{y}" for x, y, _ in line.dots)
        chart.series.append(line)
    return chart


def bar_chart(labels: list, series: list[tuple[str, str, list[float]]]) -> Chart:
    """Grouped bars per label (e.g. present and afbud per meeting), on a 0..max scale."""
    top = max([1, *(v for _, _, values in series for v in values)])
    steps = sorted({0, round(top / 2), top})
    chart = Chart(WIDTH, HEIGHT, _grid(top, steps), [])
    xs = _slots(len(labels))
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    bar_width = max(2.0, min(28.0, slot * 0.8 / max(len(series), 1)))
    chart.labels = list(zip(xs, labels, strict=True))
    chart.rows = _rows(labels, series)
    for index, (name, css, values) in enumerate(series):
        chart.series.append(Series(name, css))
        offset = (index - len(series) / 2) * bar_width
        for x, value in zip(xs, values, strict=True):
            y = _y(value, top)
            chart.bars.append(Bar(round(x + offset, 1), y, round(bar_width, 1),
                                  round(HEIGHT - BOTTOM - y, 1), value, css))
    return chart


def distribution(counts: dict[int, int], css: str) -> Chart:
    """How many chose 1, 2, 3, 4, 5 on one scale: one bar per value."""
    labels = sorted(counts)
    chart = bar_chart([str(v) for v in labels], [("", css, [counts[v] for v in labels])])
    chart.font = 18  # the room reads these from across the table
    return chart
