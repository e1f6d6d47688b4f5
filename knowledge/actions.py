"""What staff can do to a lesson and a recipe: one object per action (``core.actions``). The
staff pages list the actions whose ``check`` passes, the POST views run them with
``core.views.run_action``, and each service refuses with the same ``check``, so the button and
the guard never disagree."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.actions import Action, ActionSet, Refusal

from . import permissions
from .models import Lesson, Recipe
from .workflow import LESSON_STATUS, RECIPE_STATUS

# --- Lessons ------------------------------------------------------------------------------------


class LessonAction(Action):
    url_name = ""

    def url(self, lesson) -> str:
        return reverse(f"knowledge:{self.url_name}", kwargs={"pk": lesson.pk})

    def check(self, user, lesson) -> Refusal | None:
        if not permissions.can_edit_lesson(user, lesson):
            return Refusal(
                _("Only the project's leaders in its district and the secretariat can do this.")
            )
        return self.check_state(user, lesson)

    def check_state(self, user, lesson) -> Refusal | None:
        return None


class PublishLesson(LessonAction):
    name, url_name = "publish", "staff_lesson_publish"
    label, submit_label = gettext_lazy("Publish the lesson"), gettext_lazy("Publish")
    intro = gettext_lazy(
        "The lesson is internal: staff in every district read it. Once published, everyone "
        "can read it on the project's page and under lessons learned."
    )

    def check_state(self, user, lesson):
        if lesson.status != Lesson.Status.DRAFT:
            return Refusal.not_now(_("The lesson is published already."))
        project = lesson.project
        if not (project.is_public and project.area.is_published):
            return Refusal.not_now(
                _(
                    "The project is not public, so its lessons cannot be either. Publish the "
                    "project first, or keep the lesson internal."
                ),
                code="project_internal",
                explain=True,
            )
        return LESSON_STATUS.refusal(lesson, "publish", user)

    def execute(self, user, lesson, form) -> str:
        from . import services

        services.lesson_publish(actor=user, lesson=lesson)
        return _("The lesson is published.")


class UnpublishLesson(LessonAction):
    name, url_name, secondary = "unpublish", "staff_lesson_unpublish", True
    label = submit_label = gettext_lazy("Make the lesson internal again")
    intro = gettext_lazy("It leaves the public pages; staff in every district still read it.")

    def check_state(self, user, lesson):
        if lesson.status != Lesson.Status.PUBLISHED:
            return Refusal.not_now(_("The lesson is internal already."))
        return LESSON_STATUS.refusal(lesson, "unpublish", user)

    def execute(self, user, lesson, form) -> str:
        from . import services

        services.lesson_unpublish(actor=user, lesson=lesson)
        return _("The lesson is internal again.")


LESSON_ACTIONS = ActionSet([PublishLesson(), UnpublishLesson()])


# --- Recipes ------------------------------------------------------------------------------------


class RecipeAction(Action):
    url_name = ""

    def url(self, recipe) -> str:
        return reverse(f"knowledge:{self.url_name}", kwargs={"slug": recipe.slug})

    def check(self, user, recipe) -> Refusal | None:
        if not permissions.can_edit_recipe(user, recipe):
            return Refusal(
                _("Only the secretariat and the leaders of the recipe's district can do this.")
            )
        return self.check_state(user, recipe)

    def check_state(self, user, recipe) -> Refusal | None:
        return None


class PublishRecipe(RecipeAction):
    name, url_name = "publish", "staff_recipe_publish"
    label, submit_label = gettext_lazy("Publish the recipe"), gettext_lazy("Publish")
    intro = gettext_lazy("Once published, everyone can read it in the cookbook.")

    def check_state(self, user, recipe):
        if recipe.status != Recipe.Status.DRAFT:
            return Refusal.not_now(_("The recipe is published already."))
        return RECIPE_STATUS.refusal(recipe, "publish", user)

    def execute(self, user, recipe, form) -> str:
        from . import services

        services.recipe_publish(actor=user, recipe=recipe)
        return _("The recipe is published.")


class UnpublishRecipe(RecipeAction):
    name, url_name, secondary = "unpublish", "staff_recipe_unpublish", True
    label = submit_label = gettext_lazy("Take the recipe back to draft")
    intro = gettext_lazy("It leaves the cookbook until it is published again.")

    def check_state(self, user, recipe):
        if recipe.status != Recipe.Status.PUBLISHED:
            return Refusal.not_now(_("The recipe is a draft already."))
        return RECIPE_STATUS.refusal(recipe, "unpublish", user)

    def execute(self, user, recipe, form) -> str:
        from . import services

        services.recipe_unpublish(actor=user, recipe=recipe)
        return _("The recipe is a draft again.")


RECIPE_ACTIONS = ActionSet([PublishRecipe(), UnpublishRecipe()])
