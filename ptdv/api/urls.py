from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView

from ptdv.access.gate import public
from ptdv.api import training, views
from ptdv.api.admissions import cases, step_routes

urlpatterns = [
    # the schema describes the API and holds no data: public, like the login page
    path("openapi.json", public(SpectacularJSONAPIView.as_view()), name="api-schema"),
    path("organizations/", views.OrganizationList.as_view(), name="api-organizations"),
    path("organizations/<str:uid>/", views.OrganizationDetail.as_view(), name="api-organization"),
    path("people/", views.PersonList.as_view(), name="api-people"),
    path("people/<str:uid>/", views.PersonDetail.as_view(), name="api-person"),
    path("people/<str:uid>/events/", views.PersonEvents.as_view(), name="api-person-events"),
    path("membership-events/", views.EventList.as_view(), name="api-events"),
    path("classes/", training.ClassList.as_view(), name="api-classes"),
    path("classes/<str:uid>/", training.ClassDetail.as_view(), name="api-class"),
    path("classes/<str:uid>/enrolments/", training.ClassEnrolments.as_view()),
    path("classes/<str:uid>/transition/", training.ClassTransition.as_view()),
    path("statistics/", views.Statistics.as_view(), name="api-statistics"),
    path("admission-cases/", cases.CaseList.as_view(), name="api-admission-cases"),
    path("admission-cases/<str:uid>/", cases.CaseDetail.as_view(), name="api-admission-case"),
    path("admission-cases/<str:uid>/steps/", cases.CaseSteps.as_view()),
    *[
        path(f"admission-cases/<str:uid>/steps/{step}/", view.as_view())
        for step, view in step_routes.STEP_VIEWS.items()
    ],
    re_path(r"^(?P<rest>.*)$", public(views.not_found)),
]
