# Convenience front end.  The two commands a new machine needs:
#   make demo    install dependencies, build, show the seeds' findings
#   make check   install dependencies, build, run the whole ctest suite
#
# SANITIZE=1 builds with ASan/UBSan into build-san/; WERROR=1 adds -Werror
# (CI sets it).  Every Debian package the build and the tests need is listed
# once, in DEBIAN_PACKAGES below.

DEBIAN_PACKAGES = build-essential cmake pkg-config clang libclang-rt-14-dev \
	libgumbo-dev libjansson-dev libcmocka-dev libinih-dev python3 \
	libevent-dev libcurl4-openssl-dev libsqlite3-dev libzstd-dev libssl-dev \
	sqlite3 nginx wrk curl libzip-dev libxml2-dev libpoppler-glib-dev \
	python3-prometheus-client zlib1g-dev groff-base mandoc \
	libreoffice-writer-nogui fonts-wqy-microhei qpdf openssl

BUILD ?= build
CMAKE_FLAGS ?=
ifeq ($(SANITIZE),1)
BUILD = build-san
CMAKE_FLAGS += -DNIANBAO_SANITIZE=ON
endif
ifeq ($(WERROR),1)
CMAKE_FLAGS += -DNIANBAO_WERROR=ON
endif
ifeq ($(FUZZ),1)
# all-clang build; fails if the libFuzzer harnesses cannot be built
BUILD = build-fuzz
CMAKE_FLAGS += -DNIANBAO_FUZZ=ON -DCMAKE_C_COMPILER=clang
endif
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# make install [PREFIX=/usr] [DESTDIR=/tmp/pkg]: binaries, man pages, the
# systemd unit under PREFIX; the configuration in /etc/nianbao (kept if
# present).  See the install block at the end of CMakeLists.txt.
PREFIX ?= /usr/local

.PHONY: all deps build check demo bench install clean

all: build

deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null || exit 1; \
	fi

$(BUILD)/Makefile: CMakeLists.txt
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null

build: $(BUILD)/Makefile
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

check: deps
	$(MAKE) build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

demo: deps
	$(MAKE) build
	@sh tests/demo.sh $(BUILD)

bench: deps
	$(MAKE) build
	@sh tests/bench/run.sh $(BUILD)

install: build
	DESTDIR="$(DESTDIR)" cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf build build-san build-fuzz
