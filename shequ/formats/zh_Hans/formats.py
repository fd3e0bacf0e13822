"""Number formats for zh-hans pages. Django's own zh_Hans formats leave the thousands
separator empty (and group by 4), so 2528000.00 showed as one run of digits; finance
staff read amounts as 2,528,000.00 (and bureau reports in 万元)."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F401,F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
