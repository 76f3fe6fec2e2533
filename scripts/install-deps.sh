#!/usr/bin/env bash
# Installs what wfsim needs to build and test, from Debian's packages only.
set -euo pipefail
packages=(
  g++ cmake ninja-build pkg-config git clang-format
  clang libclang-rt-14-dev
  libyaml-cpp-dev libhdf5-dev libdeflate-dev libeigen3-dev libboost-dev librandom123-dev
  libcli11-dev libfmt-dev libnlopt-cxx-dev libgtest-dev libgmock-dev libbenchmark-dev
  # wfsim serve: the what-if page's web server and its JSON.
  libcpp-httplib-dev nlohmann-json3-dev
  # Runs spread over machines: mpirun -np K wfsim run|sensitivity|calibrate|optimise.
  libopenmpi-dev openmpi-bin
  chromium
  # wfsim schema's test validates scenarios with a real JSON Schema validator.
  python3-jsonschema python3-yaml
  # Clients of the run file whose recipes (outputs/README.md) the tests run:
  python3-h5py python3-pandas python3-xarray python3-h5netcdf python3-netcdf4 netcdf-bin
  r-base-core r-cran-hdf5r
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The what-if page's browser test drives chromium with puppeteer-core, a
# test-only npm package pinned in tests/browser/package-lock.json; it uses
# Debian's chromium and never downloads a browser of its own.
if ! command -v npm >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends nodejs npm
fi
npm ci --prefix "$(dirname "$0")/../tests/browser" --no-audit --no-fund --loglevel=error
