replay -f seed/with-selector.yaml --events watch/truncated.json
