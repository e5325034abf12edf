"""Places: pure distance, box and postcode maths; place lookup through the gazetteer, the cache and an
optional remote geocoder. Imports models and extensions only; never views.
"""
