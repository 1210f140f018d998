#!/bin/sh
# Refresh vendor_locale/cy/LC_MESSAGES/django.po after upgrading django-allauth or Django.
#
# makemessages only looks at our own code, so the Welsh for django-allauth (which ships
# none) and for Django's password-validation messages lives here. This script extracts
# the msgids those packages use today from the installed copies, merges them into the
# catalogue (keeping every existing translation), and drops strings that have gone.
# New or changed strings come out untranslated: translate them, then run
#   .venv/bin/python -m withus.core.compilemessages
# See docs/welsh-review.md.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY="$ROOT/.venv/bin/python"
SITE=$("$PY" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
PO="$ROOT/vendor_locale/cy/LC_MESSAGES/django.po"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/locale"

# The allauth pages and e-mails WithUs shows: sign-in, sign-up, e-mail verification,
# password reset and change, sign-out, e-mail management, MFA (TOTP, recovery codes).
cd "$SITE"
for f in allauth/templates/account/*.html allauth/templates/account/email/*.txt \
    allauth/templates/account/messages/*.txt allauth/templates/account/snippets/*.html \
    allauth/templates/allauth/layouts/*.html allauth/templates/mfa/*.html \
    allauth/templates/mfa/email/*.txt allauth/templates/mfa/messages/*.txt \
    allauth/templates/mfa/recovery_codes/* allauth/templates/mfa/totp/* \
    allauth/account/forms.py allauth/account/adapter.py allauth/account/fields.py \
    allauth/mfa/base/forms.py allauth/mfa/totp/forms.py allauth/mfa/recovery_codes/forms.py \
    allauth/mfa/adapter.py allauth/mfa/models.py; do
    mkdir -p "$WORK/$(dirname "$f")"
    cp "$f" "$WORK/$f"
done
(cd "$WORK" && "$ROOT/.venv/bin/django-admin" makemessages -l cy -e html,txt,py >/dev/null)
xgettext --language=Python --from-code=UTF-8 --keyword=_ --keyword=ngettext:1,2 \
    -o "$WORK/django-password.pot" django/contrib/auth/password_validation.py

msgcat --use-first -o "$WORK/reference.pot" "$WORK/locale/cy/LC_MESSAGES/django.po" "$WORK/django-password.pot"
msgmerge --quiet --update --backup=none --no-fuzzy-matching "$PO" "$WORK/reference.pot"
msgattrib --no-obsolete -o "$PO" "$PO"
msgfmt --check --statistics -o /dev/null "$PO"
