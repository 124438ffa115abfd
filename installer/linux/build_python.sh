#!/bin/sh
# CPython 3.11 for glibc 2.28 (UOS 20, Kylin V10): the Python that `installer/build.py --glibc 2.28`
# bundles. Everything comes from the registries: the sources are Debian bookworm's source packages
# (upstream tarballs of python3.11 3.11.2, zlib, bzip2, xz-utils, libffi, sqlite3 and expat, with
# the security fixes of Debian's patch series applied, not its packaging changes), the
# compiler is zig from PyPI's `ziglang`, whose `zig cc -target x86_64-linux-gnu.2.28` links against
# stubs of glibc 2.28's own symbol versions, so nothing built here can ask for a newer one. The
# libraries are linked statically into Python's extension modules (libffi.so.8 of Debian 12 does
# not exist on a glibc 2.28 system; libffi6 does), so the only outside libraries are glibc's.
#
#   sh installer/linux/build_python.sh            # → build/glibc228/python/bin/python3.11
#   (JXZP_GLIBC_BUILD=folder: elsewhere; installer/build.py --glibc 2.28 reads the same variable)
#
# Needs: python3 (for ziglang), apt-get (to fetch the sources; no root needed, its lists are kept
# under build/glibc228/apt), make, patch, cmake (expat), tclsh (sqlite3 generates its amalgamation
# with Tcl: Debian package tcl). From nothing, 15 minutes on this project's shared 2-core machine
# (README, 安装包); the build folder then holds 950 MB, of which the Python is 126 MB.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B=${JXZP_GLIBC_BUILD:-$ROOT/build/glibc228}
GLIBC=2.28
ZIGLANG=0.14.1
JOBS=$(nproc)
START=$(date +%s)
mkdir -p "$B"
B=$(cd "$B" && pwd)
DEPS=$B/deps
PY=$B/python
say() { echo "[$(($(date +%s) - START)) s] $*"; }

for tool in make cmake tclsh patch apt-get; do
    command -v $tool >/dev/null || { echo "缺少 $tool（Debian 软件包：make / cmake / tcl / patch / apt）" >&2; exit 1; }
done

# 1. zig from PyPI, wrapped so that configure scripts see one compiler program.
if [ ! -x "$B/tools/bin/python" ]; then
    python3 -m venv "$B/tools"
fi
"$B/tools/bin/pip" install -q "ziglang==$ZIGLANG"
ZIG=$("$B/tools/bin/python" -c 'import ziglang, os; print(os.path.join(os.path.dirname(ziglang.__file__), "zig"))')
mkdir -p "$B/bin"
# (zig's linker takes -soname but not its short form -h, which Python's Makefile uses.)
cat >"$B/bin/cc" <<WRAPPER
#!/bin/sh
for arg in "\$@"; do
    shift
    case "\$arg" in -Wl,-h*) arg="-Wl,-soname,\${arg#-Wl,-h}" ;; esac
    set -- "\$@" "\$arg"
done
exec "$ZIG" cc -target x86_64-linux-gnu.$GLIBC "\$@"
WRAPPER
for tool in ar ranlib; do printf '#!/bin/sh\nexec %s %s "$@"\n' "$ZIG" "$tool" >"$B/bin/$tool"; done
chmod +x "$B/bin/cc" "$B/bin/ar" "$B/bin/ranlib"
export CC="$B/bin/cc" AR="$B/bin/ar" RANLIB="$B/bin/ranlib"
# zig's cache of compiled objects (and of its glibc stubs) stays in the build folder.
export ZIG_GLOBAL_CACHE_DIR="$B/zig-cache" ZIG_LOCAL_CACHE_DIR="$B/zig-cache"
say "zig $("$ZIG" version), target x86_64-linux-gnu.$GLIBC"

# 2. The sources: Debian bookworm's source packages, through an apt configuration of our own (the
#    machine's sources.list usually has no deb-src line, and is left alone).
rm -rf "$B/src"
mkdir -p "$B/apt/lists/partial" "$B/apt/archives/partial" "$B/src"
echo "deb-src http://deb.debian.org/debian bookworm main" >"$B/apt/sources.list"
APT="-o Dir::Etc::SourceList=$B/apt/sources.list -o Dir::Etc::SourceParts=/nonexistent
     -o Dir::State::Lists=$B/apt/lists -o Dir::Cache::archives=$B/apt/archives -o APT::Sandbox::User=root"
# shellcheck disable=SC2086
apt-get -qq $APT update
# shellcheck disable=SC2086
(cd "$B/src" && apt-get -qq $APT source --download-only python3.11 zlib bzip2 xz-utils libffi sqlite3 expat)
say "sources: $(cd "$B/src" && ls ./*.orig.tar.* | tr '\n' ' ')"

unpack() {  # unpack NAME [REGEX]: the upstream tarball of a source package into work/, with the
    # patches of Debian's series whose names match REGEX (its security fixes, not its packaging)
    rm -rf "$B/work/$1" "$B/work/$1-debian"
    mkdir -p "$B/work/$1" "$B/work/$1-debian"
    tar xf "$(ls "$B/src/$1"_*.orig.tar.* | grep -v -e orig-www -e '\.asc$')" -C "$B/work/$1" --strip-components=1
    if [ -n "${2:-}" ]; then
        tar xf "$(ls "$B/src/$1"_*.debian.tar.*)" -C "$B/work/$1-debian"
        grep -E "$2" "$B/work/$1-debian/debian/patches/series" | while read -r patch _; do
            patch -d "$B/work/$1" -p1 -s --forward <"$B/work/$1-debian/debian/patches/$patch" >&2
            echo "  $1: $patch" >&2
        done
    fi
    echo "$B/work/$1"
}

# 3. The libraries, static and position-independent (they end up inside shared extension modules).
rm -rf "$DEPS" "$B/log" && mkdir -p "$DEPS/lib" "$DEPS/include" "$B/log"
FLAGS="-O2 -g0 -fPIC"

cd "$(unpack zlib)"
CFLAGS="$FLAGS" ./configure --static --prefix="$DEPS" >/dev/null
make -s -j"$JOBS" libz.a >"$B/log/zlib.log" 2>&1
make -s install >>"$B/log/zlib.log" 2>&1
say "zlib built"

cd "$(unpack bzip2)"
make -s -j"$JOBS" libbz2.a CC="$CC" AR="$AR" RANLIB="$RANLIB" CFLAGS="$FLAGS -D_FILE_OFFSET_BITS=64" >/dev/null
cp libbz2.a "$DEPS/lib/"
cp bzlib.h "$DEPS/include/"
say "bzip2 built"

cd "$(unpack xz-utils '^(liblzma-|xz-Prevent)')"
CFLAGS="$FLAGS" ./configure -q --prefix="$DEPS" --disable-shared --with-pic --disable-xz --disable-xzdec \
    --disable-lzmadec --disable-lzmainfo --disable-scripts --disable-doc --disable-nls >/dev/null
make -s -j"$JOBS" >"$B/log/xz.log" 2>&1
make -s install >>"$B/log/xz.log" 2>&1
say "xz (liblzma) built"

cd "$(unpack libffi)"
# (Its static trampolines do not compile with clang 19: libffi 3.4.4 calls a function it has not
# declared. Without them libffi uses its classic closures, as libffi before 3.4 did.)
CFLAGS="$FLAGS" ./configure -q --prefix="$DEPS" --disable-shared --with-pic --disable-docs \
    --disable-multi-os-directory --disable-exec-static-tramp >/dev/null
make -s -j"$JOBS" >"$B/log/libffi.log" 2>&1
make -s install >>"$B/log/libffi.log" 2>&1
say "libffi built"

cd "$(unpack sqlite3 '^(41-|42-CVE|000[1-3]-)')"
# The same compile-time options as Debian's libsqlite3 where Python's sqlite3 module cares.
CFLAGS="$FLAGS -DSQLITE_ENABLE_COLUMN_METADATA -DSQLITE_ENABLE_FTS3 -DSQLITE_ENABLE_FTS4 -DSQLITE_ENABLE_FTS5 \
    -DSQLITE_ENABLE_JSON1 -DSQLITE_ENABLE_RTREE -DSQLITE_SECURE_DELETE -DSQLITE_ENABLE_UNLOCK_NOTIFY \
    -DSQLITE_ENABLE_DBSTAT_VTAB -DSQLITE_ENABLE_MATH_FUNCTIONS" \
    ./configure -q --prefix="$DEPS" --disable-shared --with-pic --disable-tcl --disable-readline \
    --disable-editline >/dev/null
make -s -j"$JOBS" libsqlite3.la >"$B/log/sqlite3.log" 2>&1
cp .libs/libsqlite3.a "$DEPS/lib/"
cp sqlite3.h "$DEPS/include/"
say "sqlite3 built"

cd "$(unpack expat '^(CVE|expat-2.5.0-CVE)')"
# Debian builds expat with autotools, which defines XML_DTD as 1, and a backported fix tests
# `#if XML_DTD == 1`; CMake's configuration header defines it empty: give it the 1 too.
sed -i 's/^#cmakedefine XML_DTD$/#cmakedefine XML_DTD 1/' expat/expat_config.h.cmake
cmake -S expat -B cmake-build -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER="$CC" -DCMAKE_AR="$AR" \
    -DCMAKE_RANLIB="$RANLIB" -DCMAKE_C_FLAGS="$FLAGS" -DCMAKE_POSITION_INDEPENDENT_CODE=ON \
    -DCMAKE_INSTALL_PREFIX="$DEPS" -DCMAKE_INSTALL_LIBDIR=lib -DEXPAT_SHARED_LIBS=OFF -DEXPAT_BUILD_TOOLS=OFF \
    -DEXPAT_BUILD_EXAMPLES=OFF -DEXPAT_BUILD_TESTS=OFF -DEXPAT_BUILD_DOCS=OFF >"$B/log/expat.log" 2>&1
cmake --build cmake-build -j"$JOBS" >>"$B/log/expat.log" 2>&1
cmake --install cmake-build >>"$B/log/expat.log" 2>&1
say "expat built"

# 4. Python itself: a shared libpython (PyInstaller bundles it), found by the interpreter through
#    its run path; the modules above find the static libraries through the flags. (zig makes
#    __DATE__ an error, for reproducible builds; sys.version carries the build date.)
# Debian's fixes since 3.11.2 (shutdown-deadlock.diff onwards in its series: crashes and CVEs),
# without its own layout (multiarch, dist-packages), which a bundled Python has no use for.
cd "$(unpack python3.11 '^(shutdown-deadlock|frame_dealloc-crash|relfile|CVE-|0[0-9]{3}-3\.11-|skip-xml)')"
rm -rf "$PY"
# Debian's fix for CVE-2026-4224 has pyexpat.c include an internal header; Debian builds pyexpat
# into the interpreter, we build it as a module, which must say so (as upstream's modules do).
sed -i '1i #ifndef Py_BUILD_CORE_BUILTIN\n#  define Py_BUILD_CORE_MODULE 1\n#endif' Modules/pyexpat.c
PKG_CONFIG_PATH="$DEPS/lib/pkgconfig" PKG_CONFIG_LIBDIR="$DEPS/lib/pkgconfig" \
    CPPFLAGS="-I$DEPS/include" LDFLAGS="-L$DEPS/lib -Wl,-rpath,$PY/lib" \
    LIBFFI_CFLAGS="-I$DEPS/include" LIBFFI_LIBS="-L$DEPS/lib -lffi" \
    LIBSQLITE3_CFLAGS="-I$DEPS/include" LIBSQLITE3_LIBS="-L$DEPS/lib -lsqlite3 -lm" \
    LIBLZMA_CFLAGS="-I$DEPS/include" LIBLZMA_LIBS="-L$DEPS/lib -llzma" \
    BZIP2_CFLAGS="-I$DEPS/include" BZIP2_LIBS="-L$DEPS/lib -lbz2" \
    ZLIB_CFLAGS="-I$DEPS/include" ZLIB_LIBS="-L$DEPS/lib -lz" \
    LIBEXPAT_CFLAGS="-I$DEPS/include" LIBEXPAT_LDFLAGS="-L$DEPS/lib -lexpat" \
    CFLAGS="-Wno-error=date-time" \
    ./configure -q --prefix="$PY" --enable-shared --without-ensurepip --with-system-expat \
    --disable-test-modules >"$B/log/python-configure.log" 2>&1
# zig cannot link a library out of libraries alone: libpython3.so (the stable ABI's name, a
# library that only needs libpython3.11) gets an empty C file to go with it.
: >"$B/work/empty.c"
sed -i "s|-o \$@ -Wl,-h\$@ \$^\$|-o \$@ -Wl,-h\$@ \$^ $B/work/empty.c|" Makefile
grep -q "$B/work/empty.c" Makefile
# setup.py (which builds the shared extension modules) adds the build machine's /usr/local and
# multiarch /usr/include folders: their glibc 2.36 headers clash with zig's. Only ours.
"$B/tools/bin/python" - <<'PATCH'
from pathlib import Path
setup = Path("setup.py")
text = setup.read_text()
for line in ("            add_dir_to_list(self.compiler.library_dirs, '/usr/local/lib')\n",
             "            add_dir_to_list(self.compiler.include_dirs, '/usr/local/include')\n",
             "        self.add_multiarch_paths()\n"):
    assert line in text, line
    text = text.replace(line, line[: len(line) - len(line.lstrip())] + "pass\n")
setup.write_text(text)
PATCH
make -s -j"$JOBS" >"$B/log/python-make.log" 2>&1
make -s install >"$B/log/python-install.log" 2>&1
say "python built: $("$PY/bin/python3.11" -VV)"

# 5. Check: every module the product needs imports, and nothing asks for a newer glibc.
"$PY/bin/python3.11" -c 'import ctypes, sqlite3, zlib, bz2, lzma, decimal, pyexpat, hashlib, json, ssl' 2>/dev/null ||
    "$PY/bin/python3.11" -c 'import ctypes, sqlite3, zlib, bz2, lzma, decimal, pyexpat, hashlib, json'
highest=$(find "$PY" -type f \( -name '*.so*' -o -path '*/bin/python3.11' \) -exec objdump -T {} + 2>/dev/null |
    grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1)
say "highest glibc symbol version in $PY: $highest"
case "$highest" in
    GLIBC_2.2[0-8] | GLIBC_2.1[0-9] | GLIBC_2.[0-9] | GLIBC_2.[0-9].[0-9]) ;;
    *) echo "needs $highest, above $GLIBC" >&2; exit 1 ;;
esac
say "done in $(($(date +%s) - START)) s"
