# The two commands a new machine needs: `make demo` and `make test`. Both install the
# Debian packages cairn builds against when they are missing, then build.

BUILD    ?= build
JOBS     ?= 2
INDEX    ?= cairn-data
CAIRN    := $(BUILD)/cairn
PACKAGES := g++ cmake make pkg-config python3 tao-pegtl-dev libsimdjson-dev libroaring-dev liblz4-dev \
            doctest-dev zlib1g-dev libpcre2-dev libedit-dev libyaml-cpp-dev python3-yaml libgeoip-dev geoip-database libssl-dev jq

FUZZ_SECONDS ?= 60
FUZZ_JOBS    ?= 1

.PHONY: all deps build demo test sanitize fuzz torture bench bench-quick clean format

all: build

# Installs whatever of $(PACKAGES) is missing, saying what it does.
deps:
	@missing=""; for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	else \
	  echo "make deps: all Debian packages present"; \
	fi

$(BUILD)/Makefile: CMakeLists.txt
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD)/Makefile
	cmake --build $(BUILD) -j$(JOBS)

# Ingests the bundled samples into ./cairn-data, describes the index and runs the seed
# queries from the AWS security logging notes.
demo: build
	rm -rf $(INDEX)
	-$(CAIRN) --index $(INDEX) ingest --quiet testdata/samples/cloudtrail-sample.ndjson testdata/samples/AWSLogs \
	  testdata/samples/vpcflow testdata/samples/cloudfront testdata/samples/s3access
	$(CAIRN) --index $(INDEX) info
	@for q in 'eventName=ConsoleLogin' 'userIdentity.accessKeyId=AKIA*' \
	          'NOT userIdentity.sessionContext.attributes.creationDate=*' 'readOnly=false' \
	          'ModifySecurityGroupRules' 'eventName=AssumeRole' \
	          'eventName IN (PutUserPolicy, PutRolePolicy, PutGroupPolicy, AttachUserPolicy, AttachGroupPolicy, AttachRolePolicy, AddUserToGroup, DeleteVirtualMFADevice, DeactivateMFADevice, CreateAccessKey, UpdateAccessKey)'; do \
	  echo; echo "cairn> $$q"; \
	  $(CAIRN) --index $(INDEX) search --format table --limit 5 "$$q"; \
	done
	@for q in 'sourcetype="aws:cloudwatchlogs:vpcflow" action=REJECT | stats count by dstport | sort -count' \
	          '"REJECT OK" | stats count by srcaddr | sort -count | head 3' \
	          'sourcetype="aws:cloudfront:accesslogs" sc_status>=400 | stats count by c_ip cs_uri_stem | sort -count | head 5' \
	          'sourcetype="aws:s3:accesslogs" operation=REST.GET.OBJECT | stats sum(bytes_sent) as bytes, count by requester | sort -bytes' \
	          'sourcetype="aws:cloudtrail" | timechart span=1d limit=5 count by eventSource'; do \
	  echo; echo "cairn> $$q"; $(CAIRN) --index $(INDEX) search --format table "$$q"; \
	done

test: build
	cd $(BUILD) && ctest --output-on-failure

# The whole test suite (every ctest test but the benchmark's smoke run) again, built with
# AddressSanitizer and UndefinedBehaviorSanitizer in build-sanitize/ (a first build takes about
# 15 minutes, the run about 20). Memory bounds are not checked there (CAIRN_SANITIZED).
sanitize: deps
	cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
	cmake --build build-sanitize -j$(JOBS)
	cd build-sanitize && CAIRN_SANITIZED=1 ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -E bench_smoke

# The libFuzzer targets (tests/fuzz/), built with clang, ASan and UBSan in build-fuzz/, each run
# for FUZZ_SECONDS (FUZZ_JOBS side by side); the corpus grows in build-fuzz/fuzz-corpus/ across
# runs, crashes land in build-fuzz/fuzz-crashes/, the summary in build-fuzz/fuzz-report.md.
fuzz:
	$(MAKE) deps PACKAGES="$(PACKAGES) clang libclang-rt-14-dev"
	cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DCAIRN_FUZZ=ON
	cmake --build build-fuzz -j$(JOBS) --target fuzzers
	python3 tests/fuzz/run_fuzzers.py --build build-fuzz --root . --seconds $(FUZZ_SECONDS) --jobs $(FUZZ_JOBS) $(FUZZ_TARGETS)

# Crash safety at length: cairn ingest killed with SIGKILL at 60 random points (ctest runs 12).
torture: build
	python3 tests/e2e/test_kill.py --cairn $(CAIRN) --root . --points 60 --seed $$(date +%s)

bench: build
	bench/run

bench-quick: build
	BENCH_EVENTS=100000 bench/run

format:
	clang-format -i $$(git ls-files '*.cc' '*.h')

clean:
	rm -rf $(BUILD)
