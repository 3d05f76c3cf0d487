from django.views.generic import DetailView, ListView

from casestudies.views import PREVIEW_SIZE

from .models import Theme


class ThemeListView(ListView):
    queryset = Theme.objects.with_practice_count()
    template_name = "themes/theme_list.html"


class ThemeDetailView(DetailView):
    model = Theme
    template_name = "themes/theme_detail.html"

    def get_context_data(self, **kwargs):
        practice = self.object.initiatives.published().for_cards().order_by("area__name", "title")
        return super().get_context_data(
            practice=practice[:PREVIEW_SIZE], practice_count=practice.count(), **kwargs
        )
