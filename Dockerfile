# The official Odoo 18 image plus the Python packages the addons need at run
# time (requirements.txt): numpy, for the demand forecast of
# erp_virtual_stock, from the distribution's packages of the image.
FROM odoo:18.0
USER root
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3-numpy \
    && rm -rf /var/lib/apt/lists/*
USER odoo
