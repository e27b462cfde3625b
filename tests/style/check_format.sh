#!/usr/bin/env bash
# Every C source and header of the tree is formatted as .clang-format says (STYLE.md).
# Fix with: clang-format -i FILE. Exit 77 (skipped) when clang-format is not installed.
set -euo pipefail
root=${1:?usage: check_format.sh SOURCE_DIR}
cd "$root"
if ! command -v clang-format >/dev/null; then
  echo "clang-format not installed: skipped"
  exit 77
fi
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files '*.c' '*.h')
else
  mapfile -t files < <(find include src tests bench fuzz -name '*.[ch]' | sort)
fi
existing=()
for f in "${files[@]}"; do
  [ -f "$f" ] && existing+=("$f") # a file deleted in the work tree is still in the index
done
# One run over all files; it names each file that differs (file:line: error: ...).
if ! out=$(clang-format --dry-run --Werror "${existing[@]}" 2>&1); then
  printf '%s\n' "$out" | grep -o '^[^:]*:[0-9]*:[0-9]*: error' | cut -d: -f1 | sort -u |
    sed 's/^/not clang-format clean: /'
  echo "fix with: clang-format -i FILE"
  exit 1
fi
echo "${#existing[@]} files checked, all formatted"
