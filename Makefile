# Byok — the two commands a new user needs: `make run` and `make test`.
#
# Both install what is missing (build-aux/install-deps), configure meson in
# ./build and build. `make test` then runs every test inside a private D-Bus
# session with a throwaway keyring and HOME, under Xvfb.

BUILDDIR ?= build
MESON_OPTS ?= -Dwerror=true

.PHONY: all deps build run test asan bench clean

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
	@./build-aux/run-tests $(BUILDDIR)

# AddressSanitizer + UndefinedBehaviorSanitizer build and test run.
asan: deps
	@[ -f build-asan/build.ninja ] || meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
	meson compile -C build-asan
	@./build-aux/run-tests build-asan --setup=asan

bench: build
	@./build-aux/run-uninstalled $(BUILDDIR) bench

clean:
	rm -rf $(BUILDDIR) build-asan
