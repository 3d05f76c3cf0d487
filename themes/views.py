from django.views.generic import DetailView, ListView

from casestudies.views import PREVIEW_SIZE, CardRows
from pcc_practice.cache import kept_until_content_changes

from .models import Theme


class ThemeListView(ListView):
    queryset = Theme.objects.with_practice_count()
    template_name = "themes/theme_list.html"


class ThemeDetailView(DetailView):
    model = Theme
    template_name = "themes/theme_detail.html"

    def get_context_data(self, **kwargs):
        def preview():
            practice = self.object.initiatives.published().order_by("area__name", "title")
            return list(practice.values_list("pk", flat=True)[:PREVIEW_SIZE]), practice.count()

        ids, count = kept_until_content_changes("theme-preview", preview, self.object.pk)
        return super().get_context_data(practice=CardRows(ids), practice_count=count, **kwargs)
