check -f realdata/cilium-nodeport-k8s1.25.yaml
