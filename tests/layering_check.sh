#!/usr/bin/env bash
# Fails when a layer includes what architecture.md forbids: src/core, src/stats and
# src/clinical must do no I/O and use no I/O library; every layer includes only the
# layers it may depend on.
set -u
src=${1:?usage: layering_check.sh SRC_DIR}
status=0

io='#include *<(fstream|iostream|istream|ostream|filesystem|cstdio|stdio\.h|thread|chrono|random|ctime|sqlite3\.h|libpq-fe\.h|soci/|httplib\.h|nlohmann/|yaml-cpp/|spdlog/|sodium|CLI/|pugixml|xlsxwriter|unistd\.h|fcntl\.h|sys/)'
for layer in core stats clinical; do
  hits=$(grep -rnE "$io" "$src/$layer" 2>/dev/null)
  if [ -n "$hits" ]; then
    echo "layering: src/$layer must do no I/O, but includes:"; echo "$hits"; status=1
  fi
done

# layer: the layers it may include (besides itself)
declare -A allowed=(
  [core]=""
  [stats]="core"  # Result<T>/ErrorCode only; CMake already links stream_stats to stream_core
  [clinical]="core"
  [rules]="core clinical"
  [protocol]="core clinical rules"
  [synthetic]="core"
  [randomisation]="core"
  [service]="core clinical stats rules protocol randomisation synthetic"
  [storage]="core"
  [interop]="core clinical stats rules protocol service"
  [http]="core clinical stats rules protocol service interop"
  [cli]="core clinical stats rules protocol randomisation service interop synthetic"
  [app]="core clinical stats rules protocol randomisation service interop synthetic storage http cli"
)
for layer in "${!allowed[@]}"; do
  [ -d "$src/$layer" ] || continue
  while IFS= read -r line; do
    inc=$(sed -E 's/.*#include *"([a-z_]+)\/.*/\1/' <<<"$line")
    [ "$inc" = "$layer" ] && continue
    case " ${allowed[$layer]} " in *" $inc "*) ;; *)
      echo "layering: src/$layer may not include $inc: $line"; status=1 ;;
    esac
  done < <(grep -rhE '#include *"[a-z_]+/' "$src/$layer")
done
[ $status -eq 0 ] && echo "layering: 1 passed, 0 failed"
exit $status
