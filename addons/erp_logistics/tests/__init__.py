from . import test_menus
from . import test_import
from . import test_portal
from . import test_provider
from . import test_report
from . import test_security
from . import test_shipment
from . import test_webhook
