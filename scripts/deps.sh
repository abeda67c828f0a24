#!/bin/sh
# Install the Debian packages that building and testing unbrick need, when
# they are missing. Says what it runs. Usage: scripts/deps.sh [build|check|fuzz|gpiod2]
set -e
what=${1:-check}
# gpiod2: libgpiod 2 from bookworm-backports, unpacked into the build tree
# for the second build (scripts/gpiod2.sh; nothing is installed)
if [ "$what" = gpiod2 ]; then
	exec "$(dirname "$0")/gpiod2.sh" build/gpiod2/sysroot
fi
build="gcc make pkg-config libgpiod-dev libserialport-dev"
check="$build libcmocka-dev zlib1g-dev binutils-arm-none-eabi clang-format libunicorn-dev openocd sigrok-cli stm32flash flashrom gcc-arm-none-eabi"
fuzz="$check clang libclang-rt-dev"
eval "want=\$$what"

missing=
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ]; then
	sudo=
elif command -v sudo >/dev/null 2>&1; then
	sudo=sudo
else
	echo "unbrick: missing packages:$missing; install them as root" >&2
	exit 1
fi
echo "unbrick: installing missing packages:$missing"
echo "+ $sudo apt-get update"
$sudo apt-get update -qq
echo "+ $sudo apt-get install -y$missing"
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing
