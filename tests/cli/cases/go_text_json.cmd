# encoding/json string escaping of annotation values under -o json (see fixtures/go-text.yaml).
get pod go-text -o json -f go-text.yaml
