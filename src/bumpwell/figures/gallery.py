"""An HTML page with every exercise's animated figure and name, light and dark, at two sizes, for review."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from bumpwell.domain.catalogue import Catalogue, Exercise
from bumpwell.figures.render import render_animation

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>bumpwell figures</title>
<style>
body{{font:16px/1.4 system-ui,sans-serif;margin:0;padding:16px;background:#fff;color:#1b1f24}}
h1{{font-size:1.4rem}} .grid{{display:grid;grid-template-columns:repeat(auto-fill,minmax(250px,1fr));gap:16px}}
figure{{margin:0;padding:8px;border:1px solid #d5dbe1;border-radius:8px}} figcaption{{font-weight:600}}
figure svg{{width:100%;height:220px;display:block}} .small svg{{width:120px;height:110px}}
code{{font-size:.8rem;color:#4a5562}}
.large figure{{display:inline-block;width:480px;margin:0 12px 12px 0;vertical-align:top}} .large svg{{height:360px}}
.dark{{background:#16202c;color:#e8edf3}} .dark figure{{border-color:#3a4757}} .dark code{{color:#a3b1c2}}
</style></head><body>
<h1>bumpwell: {count} exercise figures</h1>
<p>Each figure loops with the exercise's hold times; the highlighted part is the one that moves.</p>
<section class="grid" id="light">{light}</section>
<h2>At 120 px</h2><section class="grid small" id="small">{small}</section>
<h2>At 480 px</h2><section class="large" id="large">{large}</section>
<section class="dark"><h2>Dark</h2><div class="grid" id="dark">{dark}</div></section>
</body></html>
"""


def _card(ex: Exercise, theme: str, suffix: str, stage: str) -> str:
    assert ex.figure is not None
    svg = render_animation(
        ex.figure,
        ident=f"{ex.id}-{suffix}",
        title=ex.name,
        description=" ".join(ex.steps),
        stage=stage,
        theme=theme,
        themed=False,
        hold_s=ex.dose["active"].hold_s,
    )
    return f"<figure>{svg}<figcaption>{escape(ex.name)}</figcaption><code>{ex.id}</code></figure>"


def gallery_page(catalogue: Catalogue, stage: str = "mid") -> str:
    """The whole review page as HTML text."""
    drawn = [ex for ex in catalogue.exercises.values() if ex.figure is not None]
    return PAGE.format(
        count=len(drawn),
        light="".join(_card(ex, "light", "l", stage) for ex in drawn),
        small="".join(_card(ex, "light", "s", stage) for ex in drawn),
        large="".join(_card(ex, "light", "x", stage) for ex in drawn),
        dark="".join(_card(ex, "dark", "d", stage) for ex in drawn),
    )


def write_gallery(catalogue: Catalogue, out_dir: Path, stage: str = "mid") -> int:
    """Write index.html and one SVG per exercise into ``out_dir``; return how many figures were written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    count = 0
    for ex in catalogue.exercises.values():
        if ex.figure is not None:
            svg = render_animation(
                ex.figure,
                ident=ex.id,
                title=ex.name,
                description=" ".join(ex.steps),
                stage=stage,
                hold_s=ex.dose["active"].hold_s,
            )
            (out_dir / f"{ex.id}.svg").write_text(svg, encoding="utf-8")
            count += 1
    (out_dir / "index.html").write_text(gallery_page(catalogue, stage), encoding="utf-8")
    return count
