#!/usr/bin/env bash
# Replaces the marked section NAME of BENCHMARKS.md (<!-- NAME:start --> ... <!-- NAME:end -->) with FILE, or appends it.
#   bench/update-section.sh NAME FILE
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
name="$1"; file="$2"; bm="$root/BENCHMARKS.md"
[ -f "$bm" ] || printf '# Benchmarks\n\nFigures are written by the scripts under bench/; each section names its machine and date.\n' > "$bm"
if grep -q "<!-- $name:start -->" "$bm"; then
  awk -v f="$file" -v s="<!-- $name:start -->" -v e="<!-- $name:end -->" '
    $0 == s { while ((getline line < f) > 0) print line; skip = 1; next }
    $0 == e { skip = 0; next }
    !skip { print }' "$bm" > "$bm.tmp" && mv "$bm.tmp" "$bm"
else
  { echo; cat "$file"; } >> "$bm"
fi
echo "BENCHMARKS.md: section $name updated."
