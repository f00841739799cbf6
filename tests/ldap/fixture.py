#!/usr/bin/env python3
"""Write the LDIF of a test directory: an Exchange 2007 organization on
dc=corp,dc=example with three servers, EX1 (the primary), EX10 (the backup:
the EX1/EX10 trap of substring rewriting) and EX100 (a third server whose
users, store and SPNs must never change), and N mail users spread over
CN=Users and nested OUs. The three names can be others (the cluster drill's
are its node names).

  fixture.py N [PRIMARY BACKUP OTHER] > fixture.ldif
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


def main():
    if len(sys.argv) not in (2, 5):
        sys.exit("usage: fixture.py N [PRIMARY BACKUP OTHER]")
    n = int(sys.argv[1])
    primary, backup, other = sys.argv[2:5] if len(sys.argv) == 5 else ("EX1", "EX10", "EX100")
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
    for name in [primary, backup, other]:
        server(name)
        computer(name, ["ldap/%s.corp.example" % name.lower()] if name == primary else ())
    entry("CN=First Routing Group,CN=Routing Groups," + AG, "objectClass: msExchRoutingGroup",
          "cn: First Routing Group", "msExchRoutingMasterDN: CN=%s,%s" % (primary, SERVERS))
    entry("CN=Default Offline Address Book,CN=Offline Address Lists,CN=Address Lists Container,"
          + ORG, "objectClass: msExchOAB", "cn: Default Offline Address Book",
          "offLineABServer: CN=%s,%s" % (primary, SERVERS))
    for rus in ["Recipient Update Service (Enterprise Configuration)",
                "Recipient Update Service (CORP)"]:
        entry("CN=%s,CN=Recipient Update Services,CN=Address Lists Container,%s" % (rus, ORG),
              "objectClass: msExchAddressListService", "cn: " + rus,
              "msExchAddressListServiceLink: CN=%s,%s" % (primary, SERVERS))
    ous = ["OU=Sales", "OU=EMEA,OU=Sales", "OU=Paris,OU=EMEA,OU=Sales"]
    for ou in ous:
        entry(ou + "," + BASE, "objectClass: organizationalUnit", "ou: " + ou.split(",")[0][3:])
    parents = ["CN=Users," + BASE] + [ou + "," + BASE for ou in ous]
    for i in range(n):
        user("CN=User %05d" % i, parents[i % 4], "u%05d" % i, other if i % 10 == 9 else primary)
    # The awkward ones: an escaped comma, a user named like the server, no mail.
    user("CN=Doe\\, John", "CN=Users," + BASE, "jdoe", primary)
    user("CN=" + primary, "OU=Sales," + BASE, "ex1user", primary)
    user("CN=No Mail", "CN=Users," + BASE, "nomail", primary, mail=False)


main()
