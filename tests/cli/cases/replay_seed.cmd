replay -f seed/with-selector.yaml --events watch/seed-events.json
