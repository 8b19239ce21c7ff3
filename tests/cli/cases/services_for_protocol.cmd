services-for dns-0 -n shop -f troubles.yaml
