from . import models
from . import report
from .models.erp_stock_alert import uninstall_hook
