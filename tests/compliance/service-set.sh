#!/usr/bin/env bash
#
# ocf-tester (resource-agents' compliance checker) against
# ocf:exha:service-set with real Postfix and Dovecot, once per backend that
# can run here (lsb with pid files, exec), inside the private mail system of
# tests/lib/mailenv.sh.
set -euo pipefail
# shellcheck source=tests/lib/mailenv.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/mailenv.sh"

require ocf-tester
AGENT_TYPE=service-set
require_agent
setup_mail_env

# ocf-tester's own 20 s timeout is less than Postfix's init script needs on
# a loaded machine; -o CRM_meta_timeout sets OCF_RESKEY_CRM_meta_timeout after it.
OCFT_TIMEOUT=CRM_meta_timeout=90000

test_case "lsb"
ocf_tester - "${T_PREFIX}-ocft-lsb" "$OCFT_TIMEOUT" "services=postfix dovecot" backend=lsb "pid_files=$PID_FILES"
check "nothing of postfix or dovecot is left" nothing_runs

test_case "exec"
ocf_tester - "${T_PREFIX}-ocft-exec" "$OCFT_TIMEOUT" "services=postfix dovecot" backend=exec \
	"exec_commands=$EXEC_COMMANDS" "pid_files=$PID_FILES"
check "nothing of postfix or dovecot is left" nothing_runs
finish
