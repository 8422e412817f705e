"""Idempotency keys belong to the token that sends them (by user for a browser
session): two tills signed in as one user, each with its token, may use the same keys.
Answers stored before this migration stay keyed by user; a request sent before it
and retried after it is taken as new, so deploy between tills' retries."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('api', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='idempotentrequest',
            name='api_idempotency_user_key',
        ),
        migrations.AddField(
            model_name='idempotentrequest',
            name='token',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='api.apitoken'),
        ),
        migrations.AddConstraint(
            model_name='idempotentrequest',
            constraint=models.UniqueConstraint(condition=models.Q(('token__isnull', False)), fields=('token', 'key'), name='api_idempotency_token_key'),
        ),
        migrations.AddConstraint(
            model_name='idempotentrequest',
            constraint=models.UniqueConstraint(condition=models.Q(('token__isnull', True)), fields=('user', 'key'), name='api_idempotency_session_key'),
        ),
    ]
