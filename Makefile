# Thin targets; the steps live in scripts/.
.PHONY: run dev test install release bench clean

run:        ## release console + dev platform with demo data on http://127.0.0.1:8080
	@scripts/run.sh

dev:        ## trunk serve with hot reload, proxying /api and /auth to the dev platform
	@scripts/dev.sh

test:       ## every check and test layer (installs what is missing)
	@scripts/test.sh

install:    ## install the toolchain pieces only (make dev adds Trunk)
	@scripts/install.sh --browser

bench:      ## measure bundle, startup, 10,000 keys and the dev platform; report in target/bench/
	@scripts/bench.sh

release:    ## build the release bundle into dist-release/
	@scripts/build-release.sh

clean:
	cargo clean
	rm -rf dist dist-release dist-bench
