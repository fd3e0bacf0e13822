from django.contrib.auth import authenticate, get_user_model
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from knox import views as knox_views
from knox.models import AuthToken
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle
from rest_framework.views import APIView


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    organizations = serializers.SerializerMethodField()

    class Meta:
        model = get_user_model()
        fields = ["id", "username", "real_name", "phone", "email", "roles", "organizations"]

    def get_roles(self, user) -> list[dict]:
        return [
            {"role": a.role, "label": a.get_role_display(), "region": a.region_id, "community": a.community_id}
            for a in user.role_assignments.all()
        ]

    def get_organizations(self, user) -> list[dict]:
        return [
            {"id": m.organization_id, "name": m.organization.name, "position": m.position}
            for m in user.memberships.select_related("organization")
        ]


class MeView(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)



class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    expiry = serializers.DateTimeField(allow_null=True)


class TokenIPThrottle(AnonRateThrottle):
    """Token requests per client IP."""
    scope = "token_ip"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenAccountThrottle(SimpleRateThrottle):
    """Token requests per account named in the body, whatever IP they come from."""
    scope = "token_account"

    def get_cache_key(self, request, view):
        username = str(request.data.get("username", ""))[:150].strip().lower() if hasattr(request, "data") else ""
        return self.cache_format % {"scope": self.scope, "ident": username} if username else None


class TokenView(APIView):
    """Exchange username and password for an API token that expires (SHEQU_TOKEN_TTL_HOURS)
    and can be revoked (POST /api/auth/logout/). Throttled per IP and per account; repeated
    failures lock the account and IP out (django-axes)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenIPThrottle, TokenAccountThrottle]

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenResponseSerializer},
                   auth=[])
    def post(self, request):
        payload = TokenRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        # The Django request, so django-axes can flag a lock-out for its middleware to answer.
        user = authenticate(request=request._request, username=payload.validated_data["username"],
                            password=payload.validated_data["password"])
        if user is None or not user.is_active:
            raise serializers.ValidationError({"non_field_errors": [_("用户名或密码不正确。")]})
        instance, token = AuthToken.objects.create(user)
        return Response({"token": token, "expiry": instance.expiry})


class LogoutView(knox_views.LogoutView):
    """Revoke the token this request is signed with."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request, format=None):
        return super().post(request, format)
