# LDIF (unwrapped) on stdin, made comparable: each line is keyed by its
# entry's DN so that `sort` orders entries by DN and lines within them;
# msExchPatchMDB is dropped (a one-shot flag the store clears when it
# mounts). In values of DN syntax the attribute types are lower-cased, as
# distinguishedNameMatch ignores their case: slapd spells them "cn=" in
# values a modify sent but keeps "CN=" as slapadd loaded them. The values
# themselves compare exactly. Output: "<dn key>\t<0|1>\t<line>".
BEGIN {
	RS = ""
	FS = "\n"
	split("homemdb homemta msexchroutingmasterdn msexchaddresslistservicelink offlineabserver", a, " ")
	for (i in a)
		dnattr[a[i]] = 1
}

function canon(line,    name, value, n, parts, i, out, eq) {
	name = substr(line, 1, index(line, ":") - 1)
	if (!(tolower(name) in dnattr))
		return line
	value = substr(line, length(name) + 3)
	n = split(value, parts, ",")
	out = ""
	for (i = 1; i <= n; i++) {
		if (parts[i] ~ /^[A-Za-z][A-Za-z0-9-]*=/) {
			eq = index(parts[i], "=")
			parts[i] = tolower(substr(parts[i], 1, eq - 1)) substr(parts[i], eq)
		}
		out = out (i > 1 ? "," : "") parts[i]
	}
	return name ": " out
}

{
	key = tolower($1)
	print key "\t0\t" $1
	for (i = 2; i <= NF; i++)
		if (tolower($i) !~ /^msexchpatchmdb:/)
			print key "\t1\t" canon($i)
}
