from django.urls import path

from ptdv.reports import views

app_name = "reports"
urlpatterns = [
    path("overview/", views.dashboard, name="dashboard"),
    path("statistics/", views.statistics_view, name="statistics"),
    path("people/", views.people_view, name="people"),
    path("article/", views.article, name="article"),
    path("article.pdf", views.article_pdf, name="article_pdf"),
]
