# A Service without selector and without Endpoints in the input.
explain service external-db -n shop -f troubles.yaml
