replay -f seed/with-selector.yaml --events - -o json
stdin: watch/seed-events.json
