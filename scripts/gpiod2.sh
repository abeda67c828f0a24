#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Fetch libgpiod 2.x (the development files and the library) from Debian
# bookworm-backports and unpack them under DIR (build/gpiod2/sysroot), so
# that a second build compiles and links against libgpiod 2 without touching
# the system's 1.6. Nothing is installed: apt runs with its own lists and
# cache under DIR/apt, and the backports suite is taken from the same
# mirror the machine's own sources name. Usage: scripts/gpiod2.sh DIR
set -e
dir=${1:-build/gpiod2/sysroot}
version=${UB_GPIOD2_VERSION:-2.1.3-1~bpo12+1}
pc=$dir/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null ||
	echo x86_64-linux-gnu)/pkgconfig/libgpiod.pc
[ -f "$pc" ] && exit 0

# The Debian mirror the machine already uses: a deb822 "URIs:" line or a
# one-line "deb URI bookworm ..." entry whose suite is the release itself.
mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
	awk '/^URIs:/ {u = $2} /^Suites:/ {for (i = 2; i <= NF; i++)
		if ($i == "bookworm" && u != "") {print u; exit}}')
if [ -z "$mirror" ]; then
	mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		2>/dev/null | awk '$1 == "deb" && $0 !~ /security/ {
		for (i = 2; i <= NF; i++) if ($i == "bookworm") {
			print $(i - 1); exit }}')
fi
[ -n "$mirror" ] || {
	echo "gpiod2.sh: no Debian bookworm mirror in /etc/apt/sources.list*" >&2
	exit 1
}

mkdir -p "$dir"
apt=$(cd "$(dirname "$dir")" && pwd)/apt
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/debs"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
cat >"$apt/backports.sources" <<EOS
Types: deb
URIs: $mirror
Suites: bookworm-backports
Components: main
Signed-By: $keyring
EOS
opts="-o Dir::Etc::sourcelist=$apt/backports.sources
	-o Dir::Etc::sourceparts=/nonexistent -o Dir::State::Lists=$apt/lists
	-o Dir::Cache=$apt/cache -o APT::Sandbox::User=root -q"
echo "gpiod2.sh: libgpiod $version from $mirror bookworm-backports"
# shellcheck disable=SC2086 # opts is a list of words
apt-get $opts update >/dev/null
# shellcheck disable=SC2086
(cd "$apt/debs" && apt-get $opts download "libgpiod-dev=$version" \
	"libgpiod3=$version")
for deb in "$apt/debs"/*.deb; do
	dpkg -x "$deb" "$dir"
done
# the .pc file names /usr: point it at the unpacked tree
sed -i "s|^prefix=.*|prefix=$(cd "$dir" && pwd)/usr|" "$pc"
echo "gpiod2.sh: unpacked into $dir"
