#!/bin/sh
# Builds the broker's password file from secrets at every start of the stack, so no password hash is ever
# committed: Gantry's account from GANTRY_MQTT_USERNAME / GANTRY_MQTT_PASSWORD, one device account per
# "scannerId:password" line of the devices file. Run by the mosquitto-init service (compose) and by
# test/deploy/mosquitto-acl.test.ts with Debian's mosquitto_passwd.
set -eu
out="${MOSQUITTO_PASSWD_FILE:-/mosquitto/auth/passwd}"
devices="${MQTT_DEVICES_FILE:-/run/secrets/mqtt_devices}"
owner="${MOSQUITTO_OWNER:-1883:1883}"
acl="${MOSQUITTO_ACL_FILE:-/mosquitto/config/acl}"

: "${GANTRY_MQTT_USERNAME:?GANTRY_MQTT_USERNAME must be set}"
: "${GANTRY_MQTT_PASSWORD:?GANTRY_MQTT_PASSWORD must be set}"
case "$GANTRY_MQTT_USERNAME" in *:*) echo "GANTRY_MQTT_USERNAME must not contain ':'" >&2; exit 1 ;; esac
# The ACL grants Gantry's rights to one named user; a renamed account would silently read nothing.
if [ -f "$acl" ] && ! grep -qx "user $GANTRY_MQTT_USERNAME" "$acl"; then
  echo "GANTRY_MQTT_USERNAME=$GANTRY_MQTT_USERNAME has no 'user' block in $acl: use the account named there or edit the ACL" >&2
  exit 1
fi

umask 077
tmp="$out.tmp"
printf '%s:%s\n' "$GANTRY_MQTT_USERNAME" "$GANTRY_MQTT_PASSWORD" > "$tmp"
count=0
if [ -f "$devices" ]; then
  # Comments and blank lines are skipped; every other line must be "username:password".
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in ''|'#'*) continue ;; esac
    case "$line" in
      "$GANTRY_MQTT_USERNAME":*) echo "devices file: a device may not use Gantry's account name; line skipped" >&2 ;;
      *:?*) printf '%s\n' "$line" >> "$tmp"; count=$((count + 1)) ;;
      *) echo "devices file: line without 'username:password' skipped" >&2 ;;
    esac
  done < "$devices"
fi
mosquitto_passwd -U "$tmp"
chown "$owner" "$tmp"
chmod 0600 "$tmp"
mv "$tmp" "$out"
echo "mosquitto password file written: Gantry's account and $count device account(s)"
