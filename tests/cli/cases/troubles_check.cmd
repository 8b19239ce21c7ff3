check -f troubles.yaml
