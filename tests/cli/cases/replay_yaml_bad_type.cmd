# Event 3 has a type kubectl never prints; events 1 and 2 are applied and printed.
replay -f seed/with-selector.yaml --events watch/bad-type.yaml
