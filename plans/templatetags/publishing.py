"""The plan page's publishing block (the rules are in plans.publishing)."""

from django import template

from plans import publishing

register = template.Library()


@register.inclusion_tag("plans/includes/publish_block.html", takes_context=True)
def publish_block(context, plan):
    """Whether the plan is public and its address for whoever reads the plan page; the
    buttons only for those who may publish."""
    request = context.get("request")
    user = getattr(request, "user", None)
    may = user is not None and publishing.may_publish(plan, user)
    public = publishing.is_public(plan)
    return {
        "plan": plan,
        "public": public,
        # Published but sent back to draft: not shown until approved again.
        "held": plan.published_at is not None and not public,
        "public_url": publishing.public_url(plan, request) if public else "",
        "may_publish": may and publishing.publish_refusal(plan) is None,
        "may_withdraw": may and publishing.withdraw_refusal(plan) is None,
        "draft": may and plan.status == plan.Status.DRAFT,
    }
