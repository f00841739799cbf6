#!/bin/sh
# make check: ra2man.xsl on meta-data written to break a man page. Text that
# would be a roff request (a line starting with "." or "'"), backslashes
# (roff escapes) and XML entities must come out as text, and every
# parameter, default and action must be there. Needs XSLTPROC and srcdir.
set -eu

: "${XSLTPROC:=xsltproc}"
: "${srcdir:=.}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/exha-t-$$-ra2man.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failed=0

cat >"$tmp/md.xml" <<'XML'
<?xml version="1.0"?>
<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">
<resource-agent name="evil" version="0.1.0">
  <version>1.1</version>
  <longdesc lang="en">First line.
.TH INJECTED 1
'br quoted request
  pcs resource create x ocf:exha:evil
A \fBbold\fR attempt &amp; &lt;tag&gt;.</longdesc>
  <shortdesc lang="en">.SH shortdesc that looks like a request</shortdesc>
  <parameters>
    <parameter name="path" required="1" unique="1">
      <longdesc lang="en">C:\dir\file, and .so /etc/passwd at a line start:
.so /etc/passwd</longdesc>
      <shortdesc lang="en">A path</shortdesc>
      <content type="string" default="a\b"/>
    </parameter>
    <parameter name="n" required="0" unique="0">
      <longdesc lang="en">Count</longdesc>
      <shortdesc lang="en">Count</shortdesc>
      <content type="integer" default="5"/>
    </parameter>
  </parameters>
  <actions>
    <action name="start" timeout="20s"/>
    <action name="monitor" timeout="20s" interval="10s" depth="0"/>
    <action name="monitor" timeout="40s" interval="60s" depth="10"/>
    <action name="meta-data" timeout="5s"/>
  </actions>
</resource-agent>
XML

"$XSLTPROC" --nonet --novalid --stringparam version 9.9 "$srcdir/man/ra2man.xsl" "$tmp/md.xml" >"$tmp/page"

expect() { # expect <description> <fixed string that must be a whole line>
	if grep -qxF -- "$2" "$tmp/page"; then
		printf 'ok - %s\n' "$1"
	else
		printf 'not ok - %s: no line %s\n' "$1" "$2"
		failed=1
	fi
}
refuse() { # refuse <description> <extended regex no line may match>
	if grep -qE -- "$2" "$tmp/page"; then
		printf 'not ok - %s: %s\n' "$1" "$(grep -E -- "$2" "$tmp/page" | head -n 1)"
		failed=1
	else
		printf 'ok - %s\n' "$1"
	fi
}

expect "the title" '.TH OCF_EXHA_EVIL 7 "" "exha 9.9" "OCF resource agents"'
expect "the name line, its request-like text guarded" 'ocf_exha_evil \- \&.SH shortdesc that looks like a request'
expect "a longdesc line starting with . is text" '\&.TH INJECTED 1'
expect "a longdesc line starting with ' is text" "\\&'br quoted request"
expect "backslashes are escaped" 'A \efBbold\efR attempt & <tag>.'
expect "an indented line stays on a line of its own" '  pcs resource create x ocf:exha:evil'
expect "a parameter's longdesc line starting with . is text" '\&.so /etc/passwd'
expect "a parameter with its flags and default" '\fBpath\fR (required, unique, string, default \fIa\eb\fR): A path'
expect "the deeper monitor" '\fBmonitor\fR timeout=40s interval=60s depth=10'
expect "the synopsis lists each action once" '\fBevil\fR [start | monitor | meta-data]'
expect "the pcs example names the required parameter" 'pcs resource create evil-1 ocf:exha:evil path=PATH \e'
refuse "no request but the page's own" '^\.(TH INJECTED|so|SH shortdesc|br quoted)'
refuse "no unescaped backslash from the meta-data" 'C:\\dir|\\fBbold'

exit "$failed"
