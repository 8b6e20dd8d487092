"""The benchmark's figures for one size as a Markdown table (`scripts.benchmark`)."""


def _ratio(ours: float, theirs: float) -> str:
    """ours / theirs; Datasette can finish no request at all in a run (its CSV streams)."""
    return f"{ours / theirs:.1f}×" if theirs else "∞ (0/s)"


def markdown(result: dict[str, object]) -> str:
    """The table for one size."""
    loaded = "database reused"
    if result["load_seconds"] is not None:
        loaded = f"load {result['load_seconds']:.0f} s, peak RSS {result['load_rss_mib']:.0f} MiB"
    lines = [
        f"**{result['events']:,} events** — {loaded}; server RSS (current / peak MiB): "
        + ", ".join(f"{k} {v[0]:.0f} / {v[1]:.0f}" for k, v in result["memory_mib"].items()),  # type: ignore[attr-defined]
        "",
        "| request | repeated r/s | p50 / p99 ms | share of ceiling | varied r/s | p50 / p99 ms "
        "| Datasette varied r/s | ours / Datasette varied | ours / Datasette repeated |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for row in result["cases"]:  # type: ignore[attr-defined]
        rep, var, ceil = row["repeated"], row["varied"], row["ceiling"]
        ds_var, ds_rep = row.get("datasette varied"), row.get("datasette repeated")
        errors = rep["errors"] + var["errors"]
        cells = [
            row["case"] + (f" ({errors} errors)" if errors else ""),
            f"{rep['rps']:,.0f}",
            f"{rep['p50_ms']:.1f} / {rep['p99_ms']:.1f}",
            f"{rep['rps'] / ceil['rps']:.0%}",
            f"{var['rps']:,.0f}",
            f"{var['p50_ms']:.1f} / {var['p99_ms']:.1f}",
        ]
        if ds_var and ds_rep:
            cells += [
                f"{ds_var['rps']:,.0f}",
                _ratio(var["rps"], ds_var["rps"]),
                _ratio(rep["rps"], ds_rep["rps"]),
            ]
        else:
            cells += ["—", "—", "—"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
