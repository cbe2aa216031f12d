# Byok — the two commands a new user needs: `make run` and `make test`.
#
# Both install what is missing (build-aux/install-deps), configure meson in
# ./build and build. `make test` then runs every test inside a private D-Bus
# session with a throwaway keyring and HOME, under Xvfb.

BUILDDIR ?= build
MESON_OPTS ?= -Dwerror=true

.PHONY: all deps build run test test-distro asan bench fuzz clean

all: build

deps:
	@./build-aux/install-deps

$(BUILDDIR)/build.ninja:
	meson setup $(BUILDDIR) $(MESON_OPTS)

build: deps $(BUILDDIR)/build.ninja
	meson compile -C $(BUILDDIR)

run: build
	@./build-aux/run-uninstalled $(BUILDDIR) byok

test: build
	@./build-aux/run-tests $(BUILDDIR) $(MESON_TEST_OPTS)

# The whole suite inside a Debian chroot (debootstrap, cached under
# $XDG_CACHE_HOME/byok/chroot): DISTRO=bookworm|trixie|forky. Needs root.
DISTRO ?= trixie
test-distro:
	@MESON_OPTS="$(MESON_OPTS)" ./build-aux/test-distro $(DISTRO) $(MESON_TEST_OPTS)

# AddressSanitizer + UndefinedBehaviorSanitizer build and test run.
asan: deps
	@[ -f build-asan/build.ninja ] || meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
	meson compile -C build-asan
	@./build-aux/run-tests build-asan --setup=asan

bench: build
	@./build-aux/run-uninstalled $(BUILDDIR) bench

# libFuzzer targets for the provider parsers, built with clang in build-fuzz
# and run FUZZ_SECONDS each; new inputs go to build-fuzz/fuzz-corpus, crashes
# to build-fuzz/fuzz-artifacts. clang is not among the deps: see README.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS = fuzz-sse fuzz-dialect-openai fuzz-dialect-anthropic fuzz-dialect-gemini

fuzz: deps
	@command -v clang >/dev/null || { echo "make fuzz needs clang: sudo apt-get install clang (and libclang-rt-14-dev if -fsanitize=fuzzer does not link)"; exit 1; }
	@[ -f build-fuzz/build.ninja ] || CC=clang meson setup build-fuzz -Dfuzz=true
	meson compile -C build-fuzz $(FUZZ_TARGETS)
	@mkdir -p build-fuzz/fuzz-artifacts
	@for t in $(FUZZ_TARGETS); do \
	    mkdir -p build-fuzz/fuzz-corpus/$$t; \
	    case $$t in fuzz-sse) dict=tests/fuzz/sse.dict ;; *) dict=tests/fuzz/dialects.dict ;; esac; \
	    echo "== $$t: $(FUZZ_SECONDS) s"; \
	    if build-fuzz/tests/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	            -dict=$$dict -artifact_prefix=build-fuzz/fuzz-artifacts/$$t- \
	            build-fuzz/fuzz-corpus/$$t tests/fuzz/corpus/$$t > build-fuzz/$$t.log 2>&1; then \
	        grep -E '^#[0-9]+ +(INITED|DONE)|^stat::' build-fuzz/$$t.log; \
	    else \
	        tail -n 40 build-fuzz/$$t.log; \
	        echo "$$t found a bug; the input is in build-fuzz/fuzz-artifacts/, the log in build-fuzz/$$t.log"; \
	        exit 1; \
	    fi; \
	done

clean:
	rm -rf $(BUILDDIR) build-asan build-fuzz
