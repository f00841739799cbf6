#!/usr/bin/env python3
"""Write the LDIF of a test directory: an Exchange 2007 organization on
dc=corp,dc=example with three servers, EX1 (the primary), EX10 (the backup:
the EX1/EX10 trap of substring rewriting) and EX100 (a third server whose
users, store and SPNs must never change), and N mail users spread over
CN=Users and nested OUs. The three names can be others (the cluster drill's
are its node names).

More PRIMARY BACKUP pairs after the three (the three-node drill's two
groups, each with its fixup): each pair is one more pair of servers with
its own N mail users (uid and CN tagged with the pair's primary, in lower
case: node2-u00000, "User node2 00000"; every tenth on OTHER, as in the
first pair), its own awkward ones, routing group, offline address book and
two Recipient Update Services, all naming its primary. The first pair's
objects, and the whole output without extra pairs, stay as they are.

  fixture.py N [PRIMARY BACKUP OTHER [PRIMARY BACKUP]...] > fixture.ldif
"""
import sys

BASE = "DC=corp,DC=example"
CONF = "CN=Configuration," + BASE
ORG = "CN=Org,CN=Microsoft Exchange,CN=Services," + CONF
AG = "CN=First Administrative Group,CN=Administrative Groups," + ORG
SERVERS = "CN=Servers," + AG
LEGACY = "/o=Org/ou=First Administrative Group/cn=Configuration/cn=Servers/cn="


def entry(dn, *lines):
    print("dn: " + dn)
    for line in lines:
        print(line)
    print()


def container(dn, cls="container"):
    entry(dn, "objectClass: " + cls, "cn: " + dn.split(",")[0][3:])


def server(name):
    srv = "CN=%s,%s" % (name, SERVERS)
    entry(srv, "objectClass: msExchExchangeServer", "cn: " + name)
    container("CN=InformationStore," + srv)
    container("CN=First Storage Group,CN=InformationStore," + srv)
    sg = "CN=First Storage Group,CN=InformationStore," + srv
    entry("CN=Mailbox Database," + sg, "objectClass: msExchPrivateMDB", "cn: Mailbox Database")
    entry("CN=Public Folder Database," + sg, "objectClass: msExchPublicMDB",
          "cn: Public Folder Database")
    entry("CN=Microsoft MTA," + srv, "objectClass: msExchMTA", "cn: Microsoft MTA")


def computer(name, extra=()):
    fqdn = name.lower() + ".corp.example"
    spns = ["HOST/" + name, "HOST/" + fqdn, "exchangeMDB/" + name, "exchangeMDB/" + fqdn,
            "exchangeRFR/" + name, "exchangeRFR/" + fqdn] + list(extra)
    entry("CN=%s,CN=Computers,%s" % (name, BASE), "objectClass: computer", "cn: " + name,
          "sAMAccountName: %s$" % name, "dNSHostName: " + fqdn,
          *["servicePrincipalName: " + s for s in spns])


def home(name):
    srv = "CN=%s,%s" % (name, SERVERS)
    return ["homeMDB: CN=Mailbox Database,CN=First Storage Group,CN=InformationStore," + srv,
            "homeMTA: CN=Microsoft MTA," + srv, "msExchHomeServerName: " + LEGACY + name]


def user(rdn, parent, uid, server, mail=True):
    cn = rdn[3:].replace("\\,", ",")
    lines = ["objectClass: inetOrgPerson", "objectClass: msExchMailUser", "cn: " + cn,
             "sn: " + cn, "uid: " + uid] + home(server)
    if mail:
        lines.append("mail: %s@corp.example" % uid)
    entry("%s,%s" % (rdn, parent), *lines)


def links(primary, names):
    """The routing group, the OAB and the two RUSes of a pair, naming its primary."""
    entry("CN=%s,CN=Routing Groups,%s" % (names[0], AG), "objectClass: msExchRoutingGroup",
          "cn: " + names[0], "msExchRoutingMasterDN: CN=%s,%s" % (primary, SERVERS))
    entry("CN=%s,CN=Offline Address Lists,CN=Address Lists Container,%s" % (names[1], ORG),
          "objectClass: msExchOAB", "cn: " + names[1],
          "offLineABServer: CN=%s,%s" % (primary, SERVERS))
    for rus in names[2:]:
        entry("CN=%s,CN=Recipient Update Services,CN=Address Lists Container,%s" % (rus, ORG),
              "objectClass: msExchAddressListService", "cn: " + rus,
              "msExchAddressListServiceLink: CN=%s,%s" % (primary, SERVERS))


def users(n, primary, other, parents, tag=None):
    """N mail users (every tenth on OTHER) and the awkward ones; tag: an extra pair's."""
    for i in range(n):
        if tag is None:
            rdn, uid = "CN=User %05d" % i, "u%05d" % i
        else:
            rdn, uid = "CN=User %s %05d" % (primary, i), "%s-u%05d" % (tag, i)
        user(rdn, parents[i % 4], uid, other if i % 10 == 9 else primary)
    # The awkward ones: an escaped comma, a user named like the server, no mail.
    sfx = "" if tag is None else " (%s)" % primary
    pfx = "" if tag is None else tag + "-"
    user("CN=Doe\\, John" + sfx, "CN=Users," + BASE, pfx + "jdoe", primary)
    user("CN=" + primary, "OU=Sales," + BASE, pfx + "ex1user", primary)
    user("CN=No Mail" + sfx, "CN=Users," + BASE, pfx + "nomail", primary, mail=False)


def main():
    if len(sys.argv) != 2 and (len(sys.argv) < 5 or len(sys.argv) % 2 == 0):
        sys.exit("usage: fixture.py N [PRIMARY BACKUP OTHER [PRIMARY BACKUP]...]")
    n = int(sys.argv[1])
    primary, backup, other = sys.argv[2:5] if len(sys.argv) >= 5 else ("EX1", "EX10", "EX100")
    extra = list(zip(sys.argv[5::2], sys.argv[6::2]))
    names = [primary, backup, other] + [name for pair in extra for name in pair]
    if len({name.lower() for name in names}) != len(names):
        sys.exit("fixture.py: a server name given twice (pairs share no server)")
    entry(BASE, "objectClass: dcObject", "objectClass: organization", "dc: corp", "o: corp")
    for c in ["CN=Users", "CN=Computers", "CN=Configuration", "CN=Services,CN=Configuration",
              "CN=Microsoft Exchange,CN=Services,CN=Configuration"]:
        container(c + "," + BASE)
    entry(ORG, "objectClass: msExchOrganizationContainer", "cn: Org")
    for c in ["CN=Administrative Groups", "CN=First Administrative Group,CN=Administrative Groups",
              "CN=Servers,CN=First Administrative Group,CN=Administrative Groups",
              "CN=Routing Groups,CN=First Administrative Group,CN=Administrative Groups",
              "CN=Address Lists Container", "CN=Offline Address Lists,CN=Address Lists Container",
              "CN=Recipient Update Services,CN=Address Lists Container"]:
        container(c + "," + ORG)
    primaries = [primary] + [p for p, _ in extra]
    for name in names:
        server(name)
        computer(name, ["ldap/%s.corp.example" % name.lower()] if name in primaries else ())
    links(primary, ["First Routing Group", "Default Offline Address Book",
                    "Recipient Update Service (Enterprise Configuration)",
                    "Recipient Update Service (CORP)"])
    for p, _ in extra:
        links(p, ["%s Routing Group" % p, "%s Offline Address Book" % p,
                  "Recipient Update Service (%s Enterprise Configuration)" % p,
                  "Recipient Update Service (%s)" % p])
    ous = ["OU=Sales", "OU=EMEA,OU=Sales", "OU=Paris,OU=EMEA,OU=Sales"]
    for ou in ous:
        entry(ou + "," + BASE, "objectClass: organizationalUnit", "ou: " + ou.split(",")[0][3:])
    parents = ["CN=Users," + BASE] + [ou + "," + BASE for ou in ous]
    users(n, primary, other, parents)
    for p, _ in extra:
        users(n, p, other, parents, tag=p.lower())


main()
