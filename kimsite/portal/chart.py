"""A bar chart drawn at build time as inline SVG: no JavaScript, readable by screen readers
(<title>/<desc>, a <title> per bar) and styled by the theme's CSS classes.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

# A small viewBox, about as wide as a phone's column: the theme's 12-unit labels stay at least
# 12 px there (tests/test_layout_browser.py measures it) and the CSS caps the width on wide screens.
WIDTH, HEIGHT = 320, 210
LEFT, RIGHT, TOP, BOTTOM = 30, 4, 10, 40


@dataclass(frozen=True, slots=True)
class Bar:
    label: str  # under the bar ("Jan"), "" for none
    group: str  # shown under the first bar of a group ("2026"), "" to continue the group
    title: str  # full text for the tooltip and screen readers ("Januari 2026: 4 artikel")
    value: int


def nice_top(value: int) -> int:
    """A round upper bound for the axis: the value itself up to 4, else 4 × (1, 2 or 5 × 10ⁿ)."""
    if value <= 4:
        return max(value, 1)
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor * 4 >= value:
                return step * factor * 4
        step *= 10


def bar_chart(bars: list[Bar], title: str, description: str, ident: str = "chart") -> Markup:
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    top = nice_top(max((bar.value for bar in bars), default=0))
    ticks = sorted({0, top // 2 if top % 2 == 0 else top, top}) if top > 1 else [0, top]
    slot = plot_w / max(len(bars), 1)
    width = max(slot * 0.72, 1)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
    ]
    for tick in ticks:
        y = TOP + plot_h - plot_h * tick / top
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="axis" x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>')
    for index, bar in enumerate(bars):
        x = LEFT + slot * index + (slot - width) / 2
        height = plot_h * bar.value / top
        y = TOP + plot_h - height
        parts.append(f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}">'
                     f'<title>{escape(bar.title)}</title></rect>')
        centre = LEFT + slot * index + slot / 2
        if bar.label:
            parts.append(f'<text class="axis" x="{centre:.1f}" y="{TOP + plot_h + 15}" '
                         f'text-anchor="middle">{escape(bar.label)}</text>')
        if bar.group:
            parts.append(f'<text class="axis group" x="{LEFT + slot * index + 1:.1f}" y="{TOP + plot_h + 32}">'
                         f'{escape(bar.group)}</text>')
    parts.append("</svg>")
    return Markup("\n".join(parts))
