import xml.etree.ElementTree as ET

from ptdv.reports import charts


def _parse(svg):
    return ET.fromstring(str(svg))


def test_bar_chart_escapes_and_links():
    svg = charts.bar_chart(
        [charts.Bar("<b>Nữ & trẻ</b>", 5, "/x?a=1&b=2", "50%"), charts.Bar("Khác", 0)],
        title="Tiêu đề",
    )
    root = _parse(svg)
    assert root.tag.endswith("svg") and root.get("viewBox")
    assert "&lt;b&gt;" in svg and "/x?a=1&amp;b=2" in svg
    assert root.get("width") == "100%"


def test_funnel_marks_unavailable_stages():
    svg = charts.funnel_chart(
        [charts.Stage("Nguồn", None), charts.Stage("Dự bị", 10, "/p"), charts.Stage("CT", 0)],
        title="Phễu",
    )
    _parse(svg)
    assert "stroke-dasharray" in svg and ">10<" in svg


def test_year_chart_target_line():
    points = [charts.YearPoint(2020 + i, 10 + i, 12) for i in range(5)]
    svg = charts.year_chart(points, title="Năm")
    root = _parse(svg)
    assert "polyline" in svg
    assert len([e for e in root.iter() if e.tag.endswith("circle")]) == 5
    _parse(charts.year_chart([], title="Trống"))
