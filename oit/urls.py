from django.urls import path

from oit import views

app_name = "oit"

urlpatterns = [
    path("<int:year>/", views.bma, name="bma"),
    path("items/<int:pk>/edit/", views.readiness_edit, name="edit"),
    path("<str:organization>/<int:year>/", views.readiness, name="readiness"),
    path("<str:organization>/<int:year>/check/", views.check_links, name="check"),
]
