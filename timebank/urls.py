app_name = "timebank"
urlpatterns = []
