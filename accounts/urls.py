from django.urls import path

from . import views

urlpatterns = [
    path("register/", views.register, name="register"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("password/forgot/", views.password_reset, name="password_reset"),
    path("password/forgot/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password/reset/done/", views.password_reset_complete, name="password_reset_complete"),
    path("awaiting-approval/", views.awaiting_approval, name="awaiting_approval"),
    path("users/", views.user_list, name="user_list"),
    path("users/<int:pk>/role/", views.user_set_role_view, name="user_set_role"),
    path("users/<int:pk>/active/", views.user_set_active_view, name="user_set_active"),
]
