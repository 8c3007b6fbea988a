#!/bin/sh
# Style gate (curl's checksrc idea): functions the codebase does not use,
# and the reason.  Run by ctest as lint/banned; prints every offending line.
#   atoi/atol/atoll  no error checking: use util_strtonum()
#   sprintf/vsprintf no bound: use snprintf(), xasprintf() or struct buf
#   strcpy/strcat    no bound: use memcpy() with a known length or struct buf
#   gets             never
#   sscanf           silent partial matches: parse explicitly
#   strtok           not reentrant: use strtok_r()
set -u
cd "$SRC" || exit 2
found=$(grep -nE '(^|[^_a-z])(atoi|atol|atoll|sprintf|vsprintf|strcpy|strcat|gets|sscanf|strtok)[[:space:]]*\(' \
	daemon/*.c daemon/*.h parse/*.c parse/*.h tests/unit/*.c tests/fuzz/*.c tests/bench/*.c 2>/dev/null |
	grep -vE ':[0-9]+:[[:space:]]*(\*|/\*)')
if [ -n "$found" ]; then
	echo "banned functions (see tests/lint/banned.sh for why and what to use):"
	echo "$found"
	exit 1
fi
echo "ok: no banned function in daemon/ parse/ tests/"
