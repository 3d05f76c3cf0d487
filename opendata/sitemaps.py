from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from casestudies.models import PUBLISHED_INITIATIVES, Approach, Area, Initiative
from themes.models import Theme

PUBLISHED = PUBLISHED_INITIATIVES


class StaticSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return [
            "website:home", "website:initiative-list", "website:area-list",
            "website:theme-list", "website:approach-list", "website:picture",
            "website:compare-areas", "website:about", "website:evidence", "website:glossary",
            "website:accessibility", "opendata:dataset",
        ]

    def location(self, item):
        return reverse(item)


class InitiativeSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Initiative.objects.published().only("slug", "updated").order_by("pk")

    def lastmod(self, item):
        return item.updated


class AreaSitemap(Sitemap):
    def items(self):
        return Area.objects.annotate(
            last_change=Max("initiatives__updated", filter=PUBLISHED)
        ).order_by("name")

    def lastmod(self, item):
        return item.last_change


class ThemeSitemap(Sitemap):
    def items(self):
        return Theme.objects.annotate(
            last_change=Max("initiatives__updated", filter=PUBLISHED)
        ).order_by("display_order", "name")

    def lastmod(self, item):
        return item.last_change


class ApproachSitemap(Sitemap):
    def items(self):
        return Approach.objects.order_by("display_order", "name")


SITEMAPS = {
    "pages": StaticSitemap, "practice": InitiativeSitemap, "areas": AreaSitemap,
    "themes": ThemeSitemap, "approaches": ApproachSitemap,
}
