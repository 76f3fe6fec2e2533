#!/usr/bin/env python3
"""Write a national-scale stand-in region: copies of the North West region.

England's 153 councils are not shipped yet (docs/model.md, "A region": not
built). To measure what a national run costs, this writes a region file of
`--copies` copies of scenarios/north-west-2015 (nine copies: 207 councils and
30,951 social workers, near England's 32,900 of 2019), each copy a regional
sub-market with the North West's neighbours, the copies joined in a ring
through their largest councils. The councils are the North West's scenario
files; only the region file is written, wherever --output says (not into the
source tree). It is a stand-in for run time, not a model of England.

    python3 scripts/national_standin.py --output /tmp/england-standin.yaml
    build/release/wfsim region /tmp/england-standin.yaml -n 10
"""
import argparse
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
NORTH_WEST = ROOT / "scenarios" / "north-west-2015" / "region.yaml"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=9)
    parser.add_argument("--output", required=True)
    arguments = parser.parse_args()
    if not 1 <= arguments.copies <= 40:
        parser.error("--copies: between 1 and 40")
    text = NORTH_WEST.read_text()
    councils = re.findall(r"- \{name: ([^,]+), scenario: ([^,}]+)(?:, outside_neighbour_share: ([0-9.]+))?\}", text)
    pairs = re.findall(r"^  - \[([^,\]]+), ([^\]]+)\]", text, flags=re.M)
    if len(councils) != 23 or not pairs:
        raise SystemExit(f"{NORTH_WEST}: expected 23 councils and their neighbours")
    lines = [f"# Written by scripts/national_standin.py: {arguments.copies} copies of the North West.",
             "name: england-standin",
             f'description: "{arguments.copies} copies of the North West region as one market (a run-time stand-in)"',
             "councils:"]
    for copy in range(1, arguments.copies + 1):
        for name, scenario, outside in councils:
            path = (NORTH_WEST.parent / scenario.strip()).resolve()
            lines.append(f"  - {{name: {name} {copy}, scenario: {path}, outside_neighbour_share: {outside or 0}}}")
    lines.append("neighbours:")
    for copy in range(1, arguments.copies + 1):
        lines += [f"  - [{a} {copy}, {b.strip()} {copy}]" for a, b in pairs]
        if arguments.copies > 1 and (copy < arguments.copies or arguments.copies > 2):
            lines.append(f"  - [Lancashire {copy}, Lancashire {copy % arguments.copies + 1}]")
    pathlib.Path(arguments.output).write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
