replay -f seed/with-selector.yaml --events watch/bad-name.json
