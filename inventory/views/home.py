from django.shortcuts import redirect, render

from accounts.permissions import role_required
from accounts.roles import Role, user_role
from inventory.models import LedgerEntry


@role_required(Role.STAFF)
def home(request):
    """Managers land on the dashboard; staff get their quick actions and recent movements."""
    if user_role(request.user) >= Role.MANAGER:
        return redirect("inventory:dashboard")
    recent = (
        LedgerEntry.objects.filter(actor=request.user)
        .select_related("item", "store", "lot")
        .order_by("-created_at", "-pk")[:15]
    )
    return render(request, "inventory/home/staff_home.html", {"recent": recent})
