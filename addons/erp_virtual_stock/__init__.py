# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import models
from . import report
from . import wizards
from .hooks import uninstall_hook
